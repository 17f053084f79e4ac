/**
 * A fixed path that shares its place with a parameter route (`/contacts/import` beside
 * `/contacts/:id`) would hand every other method to that route: `GET /contacts/import` was a
 * contact lookup and `OPTIONS` listed the methods of `/contacts/:id` (issue 28). Before routing,
 * any other method on such a path is a 405 with the path's own `Allow`, as the OpenAPI document
 * describes the path.
 */
import type { Request, Response, Server } from 'restify';
import { AppError } from '../errors';

export function onlyPost(server: Server, path: string): void {
  server.pre((req: Request, res: Response, next: (err?: unknown) => void) => {
    if (req.method === 'POST' || req.path() !== path) return next();
    res.setHeader('allow', 'POST');
    next(new AppError('METHOD_NOT_ALLOWED', 405, `${req.method} is not allowed on ${path}: use POST`));
  });
}
