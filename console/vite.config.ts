import { defineConfig } from 'vite';

/** Where `npm start` listens by default; `npm run console:dev` forwards the API to it. */
const LOCAL_API = process.env.CONSOLE_DEV_API ?? 'http://127.0.0.1:3000';

/**
 * The console's build: one entry (index.html), pages split into chunks of their own so the first
 * page loads only what it shows. TSX is compiled by Vite itself (automatic JSX runtime), without a
 * React plugin: fast refresh is the only thing that would add, and only to the dev server.
 */
export default defineConfig(({ command }) => ({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  // A production build whatever NODE_ENV the building process has (npm start started by a test
  // runner inherits NODE_ENV=test): React's production build, and JSX compiled for it.
  ...(command === 'build'
    ? {
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        oxc: { jsx: { runtime: 'automatic' as const, development: false } },
      }
    : {}),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The Content-Security-Policy allows scripts from the site only: never inline them.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2048,
    rollupOptions: {
      onwarn(warning, warn) {
        // Cloudscape marks its modules 'use client' for React Server Components; a browser bundle
        // has no server components, so the directive means nothing here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/v1': LOCAL_API, '/config.json': LOCAL_API, '/local': LOCAL_API },
  },
}));
