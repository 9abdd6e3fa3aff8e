/**
 * A state failed while its fields were evaluated (a path pointed at nothing, a JSONata expression failed, ...):
 * `name` is the ASL error, the message AWS's wording without the "An error occurred while executing the state"
 * preamble, which the interpreter adds with the id of the event that entered the state.
 */
export class StateEvaluationError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** A failure as Retry and Catch see it. */
export class StateFailure extends Error {
  constructor(
    readonly error: string,
    readonly failureCause: string | undefined,
  ) {
    super(failureCause ?? error);
    this.name = error;
  }
}
