// Placeholder until the command line lands.
console.log('backfill-top');
