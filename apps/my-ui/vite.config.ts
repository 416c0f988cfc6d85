import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: the built files work from any path (a bucket, a sub-folder, a CDN).
  base: './',
  build: { outDir: 'dist', emptyOutDir: true },
});
