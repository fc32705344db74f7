// Security headers: a strict CSP for our pages, and a sandboxing one for digest HTML shown in a frame.
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Our pages: only our own CSS and script, forms post only to us, no framing by others. HSTS only when the
 * public URL is https: over plain http it means nothing, and on a host later served with TLS it would pin it.
 */
export function pageHeaders(opts: { hsts: boolean }): MiddlewareHandler {
  return secureHeaders({
    strictTransportSecurity: opts.hsts ? 'max-age=15552000; includeSubDomains' : false,
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      scriptSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      frameSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
    xFrameOptions: 'DENY',
    // A handler that sets its own (a digest in a frame) keeps it.
    overwrite: false,
  });
}

/**
 * A digest's HTML (preview, archive, outbox): its inline styles and remote images, no script, a
 * sandbox so it cannot act as our origin; framed only by our own pages.
 */
export const DIGEST_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; font-src https: data:; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";
