// The two front ends as one Vite multi-page build: web/dist/console/index.html,
// web/dist/chat/index.html and their hashed bundles under web/dist/assets/. The gateway serves
// them on its own origin (gateway/src/web.ts) with a CSP that allows no inline script and no
// other origin, so the build must not inline any script either.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  // one React in the bundle: urql's React bindings are installed at the repository root, where
  // the gateway's explorer keeps React 18; the pages use this workspace's React 19
  resolve: { dedupe: ['react', 'react-dom'] },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // the polyfill would be an inline script; every browser we support has modulepreload
    modulePreload: { polyfill: false },
    // never a data: URL for a script or a font (CSP); small images may stay inline
    assetsInlineLimit: 0,
    sourcemap: true,
    rollupOptions: {
      input: { console: here('console/index.html'), chat: here('chat/index.html') },
    },
  },
});
