import type express from 'express';

// Control characters (NUL above all, which PostgreSQL refuses in text) have no place in anything a
// person types; tabs and line breaks stay.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function clean(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CONTROL, '');
  if (Array.isArray(value)) return value.map(clean);
  return value;
}

/** Removes control characters from every submitted field and query value, once, at the edge. */
export const cleanInput: express.RequestHandler = (req, _res, next) => {
  if (req.body && typeof req.body === 'object') {
    for (const key of Object.keys(req.body)) req.body[key] = clean(req.body[key]);
  }
  for (const key of Object.keys(req.query)) {
    const v = clean(req.query[key]);
    if (v !== req.query[key]) Object.defineProperty(req.query, key, { value: v, enumerable: true, configurable: true, writable: true });
  }
  next();
};
