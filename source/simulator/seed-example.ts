/** The example response of the Backfill API documentation (seed/backfill-api-doc.txt), verbatim in content. */
export const SEED_EXAMPLE: Record<string, unknown> = {
	"contentBackfillTotalDurationSeconds": 362,
	"lineageBackfillTotalDurationSeconds": 14,
	"contentBackfillStatuses": [
		{
			"contentType": "PublishedDatasource",
			"contentId": "sites/1/datasources/-631379806-1912815680",
			"successfullyIngestedCount": 20,
			"failedToIngestCount": 0,
			"durationSeconds": 312,
			"totalCount": 20,
			"checkpointCreatedTime": "2020-07-29T23:50:25.763Z",
			"backfillComplete": true
		},
		{
			"contentType": "Database",
			"contentId": "sites/1/databases/e1331f9d-4d73-ee04-9edf-96fd1c37cb8e",
			"successfullyIngestedCount": 35,
			"failedToIngestCount": 0,
			"durationSeconds": 26,
			"totalCount": 35,
			"checkpointCreatedTime": "2020-04-29T23:50:25.769Z",
			"backfillComplete": true
		},
		{
			"contentType": "DatabaseTable",
			"contentId": "sites/1/tables/d946d084-53a8-09b6-2ad2-93301e6b4b15",
			"successfullyIngestedCount": 64,
			"failedToIngestCount": 0,
			"durationSeconds": 49,
			"totalCount": 64,
			"checkpointCreatedTime": "2020-04-29T23:50:25.774Z",
			"backfillComplete": true
		},
		{
			"contentType": "Metric",
			"contentId": "sites/1/metrics/metric1",
			"successfullyIngestedCount": 2,
			"failedToIngestCount": 0,
			"durationSeconds": 254,
			"totalCount": 2,
			"checkpointCreatedTime": "2020-04-29T23:50:25.779Z",
			"backfillComplete": true
		},
		{
			"contentType": "Workbook",
			"contentId": "sites/1/workbooks/6749399-1501801290",
			"successfullyIngestedCount": 10,
			"failedToIngestCount": 0,
			"durationSeconds": 267,
			"totalCount": 10,
			"checkpointCreatedTime": "2020-04-29T23:50:25.784Z",
			"backfillComplete": true
		},
		{
			"contentType": "Flow",
			"contentId": "sites/1/flows/4",
			"successfullyIngestedCount": 4,
			"failedToIngestCount": 0,
			"durationSeconds": 195,
			"totalCount": 4,
			"checkpointCreatedTime": "2020-04-29T23:50:25.788Z",
			"backfillComplete": true
		}
	],
	"lineageBackfillStatus": {
		"totalCount": 45,
		"processedCount": 18,
		"lastLineageConnection": "CloudFile downstreamWorkbooks Workbook",
		"backfillComplete": false
	}
};
