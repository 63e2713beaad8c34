/**
 * What crosses between the build's threads besides plain data: write failures (an Error does not
 * keep its `code` through postMessage) and bytes that can be moved rather than copied.
 */

/** A failed write as a message: the errno code the report needs (`emit/write-failed`) and the text. */
export interface WriteFailure {
  readonly type: 'write-failed';
  readonly code?: string;
  readonly message: string;
}

export function writeFailure(error: unknown): WriteFailure {
  const code = (error as NodeJS.ErrnoException).code;
  return { type: 'write-failed', ...(code ? { code } : {}), message: error instanceof Error ? error.message : String(error) };
}

/** The error again, on the thread that reports it. */
export function writeError(failure: WriteFailure): Error {
  return Object.assign(new Error(failure.message), failure.code ? { code: failure.code } : {});
}

/**
 * Bytes whose buffer can be moved to another thread as they are: they own all of its memory. A
 * slice of Node's shared pool (small texts) would take its neighbours' bytes along.
 */
export function ownsItsBuffer(data: Uint8Array): data is Uint8Array<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
}
