/**
 * Typed errors: the CLI turns any HypermetaError into one line on stderr and exit code 2.
 * Anything else is a bug and keeps its stack trace.
 */
export class HypermetaError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A user-supplied value (flag, config field, shape) is out of range or malformed. */
export class InvalidArgumentError extends HypermetaError {
  constructor(message: string) {
    super(message, 'EINVALID');
  }
}

/** A checkpoint is missing, truncated, corrupt or does not match its configuration. */
export class CheckpointError extends HypermetaError {
  constructor(message: string) {
    super(message, 'ECHECKPOINT');
  }
}

/** Input data (CSV, images, archives) cannot be read or is malformed. */
export class DataError extends HypermetaError {
  constructor(message: string) {
    super(message, 'EDATA');
  }
}

/** No requested backend could be set up; the message lists each with its reason. */
export class BackendUnavailableError extends HypermetaError {
  constructor(
    message: string,
    readonly reasons: ReadonlyArray<{ name: string; reason: string }>,
  ) {
    super(message, 'EBACKEND');
  }
}

/** Training produced a NaN or infinite loss or gradient. */
export class DivergenceError extends HypermetaError {
  constructor(
    message: string,
    readonly step: number,
    readonly quantity: string,
  ) {
    super(message, 'EDIVERGED');
  }
}
