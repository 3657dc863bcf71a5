import { defineConfig } from 'vite';

// The widget is one self-contained IIFE (dist/widget.js) that shops load with a
// <script> tag; the kefu binary embeds dist/ and serves it at /widget.js.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: 'src/main.ts',
      name: 'KefuWidget',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
});
