/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The C++ server (quanze serve) listens on 8080 by default in development.
const backend = process.env.QUANZE_BACKEND ?? 'http://127.0.0.1:8080';
const proxy = {
  '/api': { target: backend, changeOrigin: false },
  '/healthz': { target: backend, changeOrigin: false },
};

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Read by scripts/bundle-budget.mjs, which deletes it afterwards.
    manifest: true,
    // Budgets are enforced by scripts/bundle-budget.mjs, not by this warning.
    chunkSizeWarningLimit: 1024,
  },
  test: {
    // Pure modules run in Node; component tests opt into jsdom with a
    // `// @vitest-environment jsdom` docblock.
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
    restoreMocks: true,
  },
});
