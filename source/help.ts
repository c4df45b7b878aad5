/** The --help text: the command-line contract of DESIGN.md, kept in step with README. */
export const HELP = `backfill-top: watch Tableau Catalog's initial ingestion (the Metadata API Backfill API)

Usage:
  backfill-top --server URL [--site CONTENT_URL] [auth] [options]
  backfill-top --demo [--scenario NAME] [--time-scale X] [options]
  backfill-top --replay FILE [--speed N] [--plain]
  backfill-top simulate [--port N] [--scenario NAME] [--time-scale X]

Auth (the first that applies; secrets are never taken on the command line):
  --token-name NAME          personal access token name (env TABLEAU_PAT_NAME); its secret from
                             env TABLEAU_PAT_SECRET or --token-secret-file FILE
  --username NAME            user name (env TABLEAU_USERNAME); password from env TABLEAU_PASSWORD,
                             --password-file FILE, or a hidden prompt on a terminal
  (env TABLEAU_AUTH_TOKEN)   an existing session token, used as is

Options:
  --server URL               Tableau Server, e.g. https://tableau.example.com (env TABLEAU_SERVER)
  --site CONTENT_URL         site for sign-in; default: the default site (env TABLEAU_SITE)
  --interval SECONDS         time between polls (default 15, at least 2; demo 2)
  --timeout SECONDS          per request (default 20)
  --api-version X.Y          REST API version for sign-in (default: ask the server's serverinfo)
  --ca-file FILE             trust this PEM CA as well (self-signed or internal-CA servers)
  --insecure                 skip TLS certificate verification (warned about on every run)
  --once                     fetch once, print a table, exit (with --json: one JSON document)
  --json                     with --once: machine-readable output (schemaVersion 1)
  --plain                    one timestamped line per poll that brought news (automatic when
                             stdout is not a terminal)
  --wait                     poll until the backfill is complete: exit 0 when it is, 1 on a fatal
                             error or a stall longer than --stall-timeout
  --stall-timeout MINUTES    for --wait: server-time minutes without progress (default 30)
  --quiet, -q                with --wait or --plain: print nothing, just the exit code
  --record FILE              append every poll to FILE (JSON lines); primes history on restart
  --replay FILE              play a recording back, no network; --speed N (0 = fastest, default 1)
  --demo                     run against the built-in simulated Tableau Server
  --ascii                    ASCII glyphs only (automatic when the locale is not UTF-8)
  --no-color                 no colors (also NO_COLOR)
  --no-bell                  no bell when a phase completes
  -h, --help                 this help
  -V, --version              the version

Keys: r/space refresh now, p pause/resume, up/down select a type, +/- interval, ? help, q quit

Exit codes: 0 success (--wait: backfill complete), 1 runtime failure (network, auth, server,
stalled under --wait), 2 usage error.
`;
