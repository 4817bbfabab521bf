/**
 * Atomic replacement of report files, so that an interrupted or failed run never leaves a
 * half-written report behind.
 *
 * The scheme:
 * 1. Everything is rendered in memory first; a failure there (a figure that throws) touches no file.
 * 2. The files are written into a staging folder beside outDir, `<outDir>.tmp-<pid>`, on the same
 *    file system so that rename() is atomic. A failure there removes the staging folder.
 * 3. Each top-level entry (one folder per paper, site/, index.md) is then moved into outDir: a file
 *    by one rename over the old one; a folder by moving the old one into the staging folder and
 *    the new one into place (rename() cannot replace a non-empty folder). index.md goes last, so it
 *    never links to a paper folder that is not there yet.
 * 4. The staging folder, now holding the replaced versions, is removed.
 *
 * Each entry is therefore either entirely old or entirely new. What is not atomic is the set: a
 * run killed during step 3 can leave some papers new and others old, and a paper folder missing
 * for the instant between its two renames (its old version is then in the staging folder). Entries
 * of outDir that this run does not write (other papers, other stages' files) are left alone.
 * Staging folders of processes that no longer run are removed at the start of the next run.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `<outDir>.tmp-<pid>` folders left by runs that were killed. */
async function removeStaleStaging(outDir: string): Promise<void> {
  const parent = path.dirname(outDir);
  const prefix = `${path.basename(outDir)}.tmp-`;
  for (const name of await readdir(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid !== process.pid && !processIsRunning(pid)) {
      await rm(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

/**
 * Writes `files` (path relative to outDir -> content) into outDir as described above and returns
 * the written paths (outDir joined with each relative path), sorted.
 */
export async function replaceAtomically(outDir: string, files: Map<string, string>): Promise<string[]> {
  const target = path.resolve(outDir);
  await mkdir(target, { recursive: true });
  await removeStaleStaging(target);
  const staging = `${target}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });

  const relativePaths = [...files.keys()].sort();
  try {
    for (const relative of relativePaths) {
      const file = path.join(staging, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, files.get(relative)!);
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  const topLevel = [...new Set(relativePaths.map((p) => p.split('/')[0]))].sort(
    (a, b) => Number(a === 'index.md') - Number(b === 'index.md') || (a < b ? -1 : a > b ? 1 : 0),
  );
  const replaced = path.join(staging, '.replaced');
  await mkdir(replaced);
  for (const entry of topLevel) {
    const fresh = path.join(staging, entry);
    const destination = path.join(target, entry);
    if (relativePaths.includes(entry)) {
      await rename(fresh, destination);
      continue;
    }
    const old = path.join(replaced, entry);
    let hadOld = true;
    try {
      await rename(destination, old);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      hadOld = false;
    }
    try {
      await rename(fresh, destination);
    } catch (error) {
      if (hadOld) await rename(old, destination);
      throw error;
    }
  }
  await rm(staging, { recursive: true, force: true });
  return relativePaths.map((relative) => path.join(outDir, relative));
}
