import { route } from '@/lib/server/http';
import { metricsResponse } from '@/lib/server/operations';

export const dynamic = 'force-dynamic';

/** Prometheus metrics (text format 0.0.4), for a scraper holding METRICS_TOKEN as a bearer token. */
export const GET = route(async (request) => metricsResponse(request));
