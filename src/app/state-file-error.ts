/**
 * The state file cannot be used: in use by another process, not imds-lab's, from a newer release,
 * or damaged. `message` is the whole line to print; the file has not been written.
 */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
}
