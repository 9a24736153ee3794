import type express from 'express';

export type Flash = { title: string; text?: string };

/**
 * A one-time success message for the page after a redirect. The session is saved before the
 * caller redirects: express-session otherwise sends the Location header first, and a quick browser
 * can load the next page before the message is stored.
 */
export async function setFlash(req: express.Request, title: string, text?: string): Promise<void> {
  req.session.flash = { title, text };
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export async function flashThenRedirect(req: express.Request, res: express.Response, flash: Flash, url: string): Promise<void> {
  await setFlash(req, flash.title, flash.text);
  res.redirect(303, url);
}

/** Moves a waiting message into the page about to be shown; the layout shows it as a success banner. */
export const showFlash: express.RequestHandler = (req, res, next) => {
  if (req.method === 'GET' && req.session.flash) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
};
