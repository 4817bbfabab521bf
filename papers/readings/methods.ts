/**
 * Our readings of the methods the papers leave open, for the specs that rely on them: each is an
 * entry of a spec's `interpretations` and appears in that paper's report. They cite the papers'
 * numbers, so they live here beside the specs rather than in src/, whose code they describe.
 *
 * This folder is not scanned for specs (claims/load.ts loads only the top-level papers/*.ts).
 */

/** How src/embeddings/crystallize.ts reads Paper 51's Crystallization Transform; every spec uses E. */
export const CRYSTALLIZATION_TRANSFORM = {
  id: 'crystallization-transform',
  title: 'The Crystallization Transform (our reading)',
  text:
    'Crystallization Transform (Paper 51, known only from quotes in Papers 54, 56 and 57), read as four ' +
    'gradient-free steps. (1) Symmetric windowed co-occurrence C = K + K^T over the V-token vocabulary, ' +
    'with K = K_3_skip (counts of token j one or two positions after token i; window 2; window 1, K_2 alone, ' +
    'is the literal "bigram co-occurrence" of the quote). (2) Positive ' +
    'pointwise mutual information S_ij = max(0, log(C_ij * total / (row_i * col_j))), kept sparse. ' +
    '(3) The "infinite-order co-occurrence limit" K_inf = sum_{n>=1} alpha^(n-1) S^n = S (I - alpha S)^-1 ' +
    'of S scaled by its largest eigenvalue (so the series converges for alpha < 1; alpha = 0.5, not tuned), ' +
    'truncated to the top-d eigenpairs of S: the spectral embedding D = U_d sqrt(f(Lambda_d)) with ' +
    'f(l) = l / (1 - alpha l), a V x d matrix. (4) The "MobiusKernel K0" step W = ifft2(fft2(D) * fft2(circ(k0))), ' +
    'read as each row of D circularly convolved along the embedding axis with the kernel ' +
    'k0[j] = mu(j+1)/(j+1) (the Mobius function damped by 1/n, unit L2 norm), computed with real FFTs. ' +
    'The result is scaled so that its entries have RMS 1 (the scale of a standard-normal embedding init) ' +
    'and is used as the frozen token embedding. Window, alpha, kernel, weighting and scale are options; the ' +
    'values here are the defaults. Because the last step is a circular convolution, E^T E is a ' +
    'circulant-filtered Gram matrix C^T diag(f) C: with flat spectral weights its eigenvalues come in exact ' +
    'pairs (Fourier modes m and d - m) whatever the corpus; the decaying weights f perturb the circulant, ' +
    'and how much pairing survives depends on how far apart the kernel\'s gains at different frequencies are.',
};

/** How src/zoo/inits.ts builds the CT-init model, which every trained model of the zoo relates to. */
export const CT_INIT = {
  id: 'ct-init',
  title: 'CT init and the random-spectral attention init',
  text:
    'CT init: the GPT-2 init of the model (every Linear weight and both embeddings N(0, 0.02^2), attn.c_proj ' +
    'and mlp.2 N(0, (0.02 / sqrt(2 n_layers))^2), biases 0, LayerNorms 1 and 0) with tok_emb replaced by the ' +
    'crystallized embeddings, frozen. The crystallized embeddings have entries of RMS 1; they are scaled to ' +
    'RMS 0.02, the init scale of every other weight, because tok_emb is also the (tied) output layer: at RMS 1 ' +
    'the logits of a token against itself would be of size d and the untrained loss far above ln(V). The scale ' +
    'changes no direction (the cosines, spectra and correlations of E are scale-free). The papers\' "random-spectral ' +
    'init" of attention is read as this standard init: Paper 56\'s drift table (RMS drift / relative drift) implies ' +
    'CT-init RMS of 0.017 for c_attn, 0.020 for mlp.0 and 0.005 for c_proj and mlp.2, close to 0.02 and ' +
    '0.02 / sqrt(16) = 0.005. Every other parameter is drawn as in the random-init model, but from a seed of its own, ' +
    'so that CT+SFT and V1 (trained from the random init) start from independent draws, as two separately ' +
    'initialized models do: their correlation (Paper 54 section 5.1) then measures the solutions, not a shared start.',
};

/** The attention init variants of src/zoo/inits.ts, for the papers that train them (57 and 57b). */
export const INIT_VARIANTS = {
  id: 'init-variants',
  title: 'The attention init variants of Papers 57 and 57b',
  text:
    'Init variants (Papers 57 and 57b). Every variant starts from the CT-init model and trains as CT+SFT does ' +
    '(tok_emb frozen, everything else trained) for the same steps on identical batches in identical order; ' +
    'they differ only in the attention of every layer. random: the CT init as drawn. asymmetry-injection ' +
    '(Paper 57) and direct-t1 (Paper 57b): the antisymmetric part of M = W_Q^T W_K is replaced by the ' +
    'projected corpus asymmetry A_proj = E^T A E (A = (T - T^T) / 2 of the bigram transition matrix T, E the ' +
    'crystallized embeddings), scaled to the Frobenius norm of the random M_A it replaces; the symmetric part ' +
    'of M is kept. E^T A E is also the antisymmetric part of E^T T E, so under this reading the two papers\' ' +
    'constructions coincide and train identically. W_Q and W_K are refactored from the new M = U S V^T as ' +
    'W_Q = R S^(1/2) U^T, W_K = R S^(1/2) V^T with a random rotation R (so that W_Q^T W_K = M exactly and ' +
    'the heads share the form evenly). pr-matched-blend: the same with A_proj\'s direction replaced per layer ' +
    'by cos(theta) A_hat + sin(theta) N_hat, N_hat the antisymmetric part of an i.i.d. Gaussian matrix (unit ' +
    'norm), theta found by bisection so that the blend\'s participation ratio equals the target: the mean PR ' +
    'of M_A over the layers of the trained V1 model (Paper 57b\'s "mean trained attention asymmetry PR"). ' +
    'trained-oracle: every layer\'s attention (c_attn and c_proj, weights and biases) copied from the trained ' +
    'V1 model. The blend-vs-trained cosine is the cosine between the sorted singular values of the blend and ' +
    'of the trained M_A of the same layer, as Paper 57\'s spectral cosine.',
};
