/** Asks for a password on the terminal without echoing it; the answer never reaches the screen. */
export function promptHidden(question: string, input: NodeJS.ReadStream, output: NodeJS.WritableStream): Promise<string> {
	return new Promise((resolve, reject) => {
		let answer = '';
		const wasRaw = input.isRaw;
		// Echo off before the question shows: a password typed (or pasted) the moment it appears
		// would otherwise be echoed by the terminal.
		input.setRawMode(true);
		output.write(question);
		input.resume();
		input.setEncoding('utf8');
		const done = (error?: Error) => {
			input.setRawMode(wasRaw);
			input.pause();
			input.off('data', onData);
			output.write('\n');
			if (error) {
				reject(error);
			} else {
				resolve(answer);
			}
		};

		const onData = (chunk: string) => {
			for (const char of chunk) {
				if (char === '\r' || char === '\n') {
					done();
					return;
				}

				if (char === '\u0003') {
					done(new Error('cancelled'));
					return;
				}

				if (char === '\u007F' || char === '\b') {
					answer = answer.slice(0, -1);
				} else {
					answer += char;
				}
			}
		};

		input.on('data', onData);
	});
}
