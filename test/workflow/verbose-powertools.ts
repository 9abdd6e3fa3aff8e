// Imported first by the log test: Powertools' logger takes its level from the environment when it is created and
// goes back to that level on every warm invocation, so DEBUG must be set before src/shared/powertools loads.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
