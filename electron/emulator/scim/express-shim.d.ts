/**
 * The few Express 5 types the scimmy test server uses: the build has express (a devDependency scimmy-routers
 * needs) but not @types/express. Delete this file if @types/express is ever added.
 */
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Request extends IncomingMessage {
    url: string;
    readonly query: Record<string, unknown>;
    readonly app: Application;
    header(name: string): string | undefined;
  }
  export interface Response extends ServerResponse {
    status(code: number): Response;
    send(body?: unknown): Response;
    json(body?: unknown): Response;
  }
  export type NextFunction = (error?: unknown) => void;
  export type Handler = (req: Request, res: Response, next: NextFunction) => void | Promise<void>;
  export type ErrorHandler = (error: unknown, req: Request, res: Response, next: NextFunction) => void;
  export interface Router {
    use(...handlers: unknown[]): Router;
  }
  export interface Application {
    (req: IncomingMessage, res: ServerResponse): void;
    use(...handlers: unknown[]): Application;
    locals: Record<string, unknown>;
    set(setting: string, value: unknown): Application;
  }
  interface Express {
    (): Application;
    json(options?: unknown): Handler;
  }
  const express: Express;
  export default express;
}
