/**
 * The web console (`console/`: plain HTML, CSS and ES modules, no build step) and Web Chat's
 * bundle from node_modules, served by the same restify server. `GET /` is the console. A strict
 * Content-Security-Policy keeps every request on this server: no CDN, no fonts, no analytics.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Next, Request, Response, Server } from 'restify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * 'self' only. Web Chat styles itself with inline <style> (emotion), so styles allow inline;
 * images allow blob: and data: (charts fetched with the API key, Adaptive Card icons).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Web Chat's full bundle (React included) as the package ships it. */
export function webChatBundlePath(): string {
  return path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
}

export function registerConsole(server: Server, projectRoot: string): void {
  const dir = path.join(projectRoot, 'console');
  const cache = new Map<string, Buffer>();
  const files: Record<string, string> = { '/console/vendor/webchat.js': webChatBundlePath() };

  /** A console file by URL path; names are restricted, so `..` and odd characters never reach fs. */
  const fileOf = (urlPath: string): string | undefined => {
    if (files[urlPath]) return files[urlPath];
    const m = /^\/console\/((?:js\/)?[a-z][a-z0-9-]*\.(?:js|css|html|svg))$/.exec(urlPath);
    return m?.[1] ? path.join(dir, m[1]) : undefined;
  };

  const send = (res: Response, next: Next, file: string | undefined) => {
    if (!file) {
      res.send(404, { error: { code: 'NOT_FOUND', message: 'No such console file' } });
      return next();
    }
    const cached = cache.get(file);
    (cached ? Promise.resolve(cached) : readFile(file)).then(
      (body) => {
        cache.set(file, body);
        res.writeHead(200, {
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'content-length': body.length,
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        });
        res.end(body);
        next();
      },
      () => {
        res.send(404, { error: { code: 'NOT_FOUND', message: 'No such console file' } });
        next();
      },
    );
  };

  server.get('/', (_req: Request, res: Response, next: Next) =>
    send(res, next, path.join(dir, 'index.html')),
  );
  server.get('/console/*', (req: Request, res: Response, next: Next) => send(res, next, fileOf(req.path())));
}
