import { asStateFileError } from "./state-file.ts";
import { StateStore } from "./state-store.ts";

/**
 * The state store, or a StateFileError whose message is the one line to print: the file is in use,
 * not imds-lab's, newer, or damaged (a document that does not parse included).
 */
export function openStateStore(path: string): StateStore {
  try {
    return new StateStore({ path });
  } catch (err) {
    throw asStateFileError(path, err);
  }
}
