import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The admin center is served by Mailroom itself at /admin (src/servers/http/admin-center.ts).
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npx vite web` during development: the API comes from a running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
