// Imported first by handler tests, before anything loads src/shared/powertools: Powertools reads these at
// construction. Metrics would otherwise print EMF blobs and the logger every line of each test.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
