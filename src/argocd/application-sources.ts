import type { Application, ApplicationSource } from "./types.js";

/** The Application's sources in order: `spec.sources` for multi-source apps, else `[spec.source]`. */
export function sourcesOf(app: Application): ApplicationSource[] {
  return app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
}

export function isMultiSource(app: Application): boolean {
  return Array.isArray(app.spec?.sources) && app.spec.sources.length > 0;
}

/** Argo CD syncs these by itself; `automated.enabled: false` switches it off while keeping the block. */
export function isAutoSync(app: Application): boolean {
  const automated = app.spec?.syncPolicy?.automated;
  return automated !== undefined && automated.enabled !== false;
}
