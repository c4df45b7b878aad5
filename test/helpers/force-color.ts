// chalk decides its color level when it is first imported: import this before anything that loads Ink.
process.env.FORCE_COLOR = '1';
