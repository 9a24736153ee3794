/** Thrown by a route when the thing asked for is unknown or not the user's to see: both look the same. */
export class NotFoundError extends Error {
  constructor() {
    super('Not found');
  }
}

/** Thrown when a signed-in user asks for something their role may not do. */
export class ForbiddenError extends Error {
  constructor() {
    super('Forbidden');
  }
}

export function notFound(): never {
  throw new NotFoundError();
}

/** A route parameter as a plain string ('' when absent), for ids checked before use. */
export function param(req: { params: Record<string, unknown> }, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Thrown from inside a transaction when, once the rows are locked, the action turns out not to
 * apply any more (say, the plan was agreed a moment ago): the transaction rolls back and the user is
 * sent to the page that shows how things now stand.
 */
export class RedirectError extends Error {
  readonly url: string;
  constructor(url: string) {
    super(`Redirect to ${url}`);
    this.url = url;
  }
}
