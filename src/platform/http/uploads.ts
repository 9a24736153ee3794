import type express from 'express';
import multer from 'multer';

export const MAX_UPLOAD_BYTES = 1024 * 1024;

export type UploadProblem = 'too-large' | 'unreadable';

/**
 * Reads a form with a file (multipart) before the CSRF check, which needs the form's `_csrf`
 * field. Only for signed-in users, one file called `file`, 1 MB at most, kept in memory and never
 * written to disk. A file that cannot be taken is not an error page: the route finds the reason
 * in `res.locals.uploadProblem` and says so on the form. The form puts `_csrf` before the file,
 * so the token has been read even when the file is refused part way.
 */
const largerLimits: Array<{ bytes: number; path: RegExp }> = [];

/**
 * Lets forms at matching paths send a larger file than MAX_UPLOAD_BYTES (say, a 10 MB receipt
 * photo). Call it when the feature's routes are built; the largest matching limit applies.
 */
export function allowLargerUploads(path: RegExp, bytes: number): void {
  largerLimits.push({ path, bytes });
}

export function setUpUploads(): express.RequestHandler {
  const uploaders = new Map<number, express.RequestHandler>();
  const uploaderFor = (bytes: number) => {
    let upload = uploaders.get(bytes);
    if (!upload) {
      upload = multer({
        storage: multer.memoryStorage(),
        limits: { fileSize: bytes, files: 1, fields: 20, fieldSize: 4096, parts: 21 },
      }).single('file');
      uploaders.set(bytes, upload);
    }
    return upload;
  };
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.user || !req.is('multipart/form-data')) return next();
    const bytes = Math.max(MAX_UPLOAD_BYTES, ...largerLimits.filter((l) => l.path.test(req.path)).map((l) => l.bytes));
    res.locals.uploadLimitBytes = bytes;
    uploaderFor(bytes)(req, res, (err: unknown) => {
      if (err) {
        res.locals.uploadProblem = (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE' ? 'too-large' : 'unreadable') satisfies UploadProblem;
        req.body ??= {};
      }
      next();
    });
  };
}
