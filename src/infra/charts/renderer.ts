/**
 * Server-side charts: Vega-Lite compiled by `vega-lite` and drawn by `vega`'s headless
 * `View.toSVG()` (renderer 'none': no canvas, no native module). vega is ESM-only with a
 * top-level await, which neither `require` nor jest's module system can load, so it runs in a
 * worker thread that imports it natively; that also keeps rendering off the request loop.
 * Requests are queued to the one worker; each has a time limit.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChartSpec } from '../../domain/reports/charts';

export interface ChartRenderer {
  /** The chart as an SVG document. */
  svg(spec: ChartSpec): Promise<string>;
  close(): Promise<void>;
}

/** The worker: plain JavaScript run by Node itself (not compiled, not transformed by jest). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
Promise.all([import(workerData.vega), import(workerData.vegaLite)]).then(([vega, vl]) => {
  parentPort.on('message', async ({ id, spec }) => {
    let view;
    try {
      view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
      parentPort.postMessage({ id, svg: await view.toSVG() });
    } catch (e) {
      parentPort.postMessage({ id, error: String((e && e.message) || e) });
    } finally {
      if (view) view.finalize();
    }
  });
  parentPort.postMessage({ ready: true });
}, (e) => parentPort.postMessage({ fatal: String((e && e.message) || e) }));
`;

interface Reply {
  id?: number;
  svg?: string;
  error?: string;
  ready?: boolean;
  fatal?: string;
}

/** Node's own resolver (jest's would not resolve an ESM-only package for `import`). */
function moduleUrl(name: string): string {
  return pathToFileURL(createRequire(__filename).resolve(name)).href;
}

export class ChartRenderError extends Error {
  override name = 'ChartRenderError';
}

export function createChartRenderer(opts: { timeoutMs?: number } = {}): ChartRenderer {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let worker: Worker | undefined;
  let ready: Promise<void> | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (svg: string) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };

  const start = (): Promise<void> => {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { vega: moduleUrl('vega'), vegaLite: moduleUrl('vega-lite') },
    });
    worker = w;
    // The worker must not keep a finished process alive between charts.
    w.unref();
    return new Promise<void>((resolve, reject) => {
      w.on('message', (m: Reply) => {
        if (m.ready) return resolve();
        if (m.fatal) return reject(new ChartRenderError(`charts: vega could not load: ${m.fatal}`));
        const p = m.id === undefined ? undefined : waiting.get(m.id);
        if (!p || m.id === undefined) return;
        waiting.delete(m.id);
        if (m.svg !== undefined) p.resolve(m.svg);
        else p.reject(new ChartRenderError(`charts: ${m.error ?? 'render failed'}`));
      });
      w.on('error', (err) => {
        reject(err);
        failAll(err);
      });
      w.on('exit', () => {
        if (worker === w) [worker, ready] = [undefined, undefined];
        failAll(new ChartRenderError('charts: the render worker stopped'));
      });
    });
  };

  return {
    async svg(spec) {
      // A worker that failed to start is retried on the next chart.
      ready ??= start().catch((err: unknown) => {
        ready = undefined;
        throw err;
      });
      await ready;
      const w = worker!;
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new ChartRenderError(`charts: no chart after ${timeoutMs} ms`));
        }, timeoutMs);
        const done =
          <T>(f: (v: T) => void) =>
          (v: T) => {
            clearTimeout(timer);
            f(v);
          };
        waiting.set(id, { resolve: done(resolve), reject: done(reject) });
        w.postMessage({ id, spec });
      });
    },
    async close() {
      const w = worker;
      [worker, ready] = [undefined, undefined];
      if (w) await w.terminate();
    },
  };
}
