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
export function setUpUploads(): express.RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 4096, parts: 11 },
  }).single('file');
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.user || !req.is('multipart/form-data')) return next();
    upload(req, res, (err: unknown) => {
      if (err) {
        res.locals.uploadProblem = (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE' ? 'too-large' : 'unreadable') satisfies UploadProblem;
        req.body ??= {};
      }
      next();
    });
  };
}
