/** Why something failed, as users see it: a stable code and a sentence. */
export interface Failure {
  readonly code: string;
  readonly message: string;
}
