// Imported first by workflow test files that load application modules themselves: Powertools reads these when
// its singletons are created, which would otherwise happen before the kit sets them for the handlers.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = process.env.WORKFLOW_LOG === '1' ? 'DEBUG' : 'SILENT';
