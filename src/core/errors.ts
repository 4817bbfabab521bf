/**
 * An error caused by the user's input (a spec, a corpus file, an option), as opposed to a bug.
 * The CLI prints its message alone, without a stack trace, and exits non-zero. The message names
 * the file and the field or option at fault.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
