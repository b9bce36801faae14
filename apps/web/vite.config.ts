import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The SPA reuses the pure cores (business hours, SLA) so the badge counts the contract's clock
// exactly as the server does. In development, /api and /health go to the API (HD_API_URL or :3000).
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: {
      '@app/business-hours': here('../../libs/business-hours/src/index.ts'),
      '@app/sla': here('../../libs/sla/src/index.ts'),
      // The report's tiles, chart series and tables, shared with the PDF so both show the same numbers.
      '@app/report-figures': here('../../libs/reports/src/render/figures.ts'),
    },
  },
  build: {
    target: 'es2022',
    outDir: here('./dist'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
