/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `provena up` listens by default; the dev server forwards server paths to it. */
const API = 'http://127.0.0.1:8000';
const SERVER_PATHS = ['/api', '/readyz', '/healthz', '/metrics', '/dev-oidc'];

export default defineConfig({
  plugins: [react()],
  server: {
    // The API's development issuer must see one origin: run it with
    // PROVENA_PUBLIC_URL=http://127.0.0.1:5173 so every sign-in URL goes through this proxy.
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(SERVER_PATHS.map((path) => [path, { target: API }])),
  },
  preview: {
    proxy: Object.fromEntries(SERVER_PATHS.map((path) => [path, { target: API }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    manifest: true, // dist/.vite/manifest.json: what each chunk imports (bench/web_bundle.py)
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/ },
            {
              // The libraries behind on-demand screens (document verification, X.509, QR codes) stay
              // in those screens' chunks, and so does the chart library of the shipment page.
              name: 'vendor',
              test: /node_modules[\\/](?!@mantine|@floating-ui|pdfjs-dist|jsqr|qrcode|dijkstrajs|@ipld|multiformats|ipfs-unixfs|protons-runtime|uint8arrays|cborg|@peculiar|asn1js|pvtsutils|pvutils|tsyringe|reflect-metadata|recharts|@reduxjs|redux|redux-thunk|react-redux|reselect|immer|d3-[a-z-]+|internmap|victory-vendor|decimal\.js-light|es-toolkit|eventemitter3|tiny-invariant|@standard-schema)/,
            },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    testTimeout: 20_000,
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
