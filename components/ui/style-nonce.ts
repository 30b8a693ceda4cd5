"use client";

import { setNonce } from "get-nonce";

/**
 * Radix's modal layers lock page scroll with a <style> element (react-remove-scroll, through
 * react-style-singleton), which the console's CSP (`style-src 'self' 'nonce-…'`) refuses unless it
 * carries the page's nonce. Next puts that nonce on its own <script> elements; the browser keeps it
 * in the `nonce` property (not the attribute), where it is read once here and handed to get-nonce,
 * the library those style elements ask.
 */
if (typeof document !== "undefined") {
  const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
  if (nonce) setNonce(nonce);
}
