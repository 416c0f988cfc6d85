import { BadRequestError, isAppError, PayloadTooLargeError } from '@myorg/error';
import { BodyMessages } from '@myorg/middleware';
import { jsonTooDeepMessage } from '@myorg/utilities';
import { type Many, none } from 'stream-chain/defs.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { Messages } from '../messages.ts';

/** Where a value sits in the document: object keys and array indexes from the root. */
export type JsonPath = readonly (string | number)[];

/**
 * Takes over a string value instead of it being assembled: `pieces` yields its text as it arrives
 * (consume it to the end); what the promise resolves to stands in the value for the string.
 */
export type StringTaker = (pieces: AsyncIterable<string>) => Promise<unknown>;

export interface JsonStreamOptions {
  /** Most nested objects and arrays; deeper is a 400 naming the limit. */
  maxDepth: number;
  /** Most bytes of the body outside taken strings; beyond it, a 413. */
  maxDocumentBytes: number;
  /** The taker for the string at `path`, or undefined to assemble it as usual. */
  take?: (path: JsonPath) => StringTaker | undefined;
}

interface Frame {
  container: Record<string, unknown> | unknown[];
  /** The key of the member being read, in an object. */
  key: string;
}

/**
 * Parses a JSON body as it streams in (stream-json's tokenizer), so that neither the body nor a
 * large string in it (a publish's base64 tarball) is ever held whole: strings chosen by `take` are
 * handed on in pieces, everything else is assembled, bounded in depth and in bytes. A `__proto__`
 * member is dropped, as `safeJsonParse` drops it from every other body. A body that
 * breaks off or is not JSON is the client's 400.
 */
export async function readJsonStream(
  body: AsyncIterable<Uint8Array> | undefined,
  options: JsonStreamOptions,
): Promise<unknown> {
  const tokens = new TokenReader(body, options);
  const stack: Frame[] = [];
  let root: unknown;
  const place = (value: unknown) => {
    const top = stack.at(-1);
    if (top === undefined) root = value;
    else if (Array.isArray(top.container)) top.container.push(value);
    else if (top.key !== '__proto__') top.container[top.key] = value;
  };
  const path = (): JsonPath =>
    stack.map((frame) => (Array.isArray(frame.container) ? frame.container.length : frame.key));

  for (let token = await tokens.next(); token !== undefined; token = await tokens.next()) {
    switch (token.name) {
      case 'startObject':
      case 'startArray': {
        const container = token.name === 'startObject' ? {} : [];
        place(container);
        stack.push({ container, key: '' });
        break;
      }
      case 'endObject':
      case 'endArray':
        stack.pop();
        break;
      case 'startKey': {
        const top = stack.at(-1);
        const key = await tokens.text();
        if (top !== undefined) top.key = key;
        break;
      }
      case 'startString': {
        const taker = options.take?.(path());
        place(taker === undefined ? await tokens.text() : await taker(tokens.pieces()));
        break;
      }
      case 'startNumber':
        place(Number(await tokens.text()));
        break;
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        place(token.value);
        break;
    }
  }
  return root;
}

/**
 * The parser's tokens, pulled from the body a chunk at a time. The bytes outside taken strings are
 * counted as they arrive, so an oversized document is refused before it is assembled.
 */
class TokenReader {
  readonly #source: AsyncIterator<Uint8Array> | undefined;
  readonly #parse: ReturnType<typeof jsonParser>;
  readonly #maxDepth: number;
  readonly #decoder = new TextDecoder();
  readonly #maxDocumentBytes: number;
  #tokens: Token[] = [];
  #index = 0;
  #ended = false;
  #received = 0;
  #taken = 0;

  constructor(
    body: AsyncIterable<Uint8Array> | undefined,
    { maxDepth, maxDocumentBytes }: JsonStreamOptions,
  ) {
    this.#source = body?.[Symbol.asyncIterator]();
    // The parser keeps the depth bound: it refuses within a chunk, before deeper tokens exist.
    this.#parse = jsonParser({ packValues: false, streamValues: true, maxDepth });
    this.#maxDepth = maxDepth;
    this.#maxDocumentBytes = maxDocumentBytes;
  }

  async next(): Promise<Token | undefined> {
    while (this.#index >= this.#tokens.length) {
      if (this.#ended) return undefined;
      await this.#fill();
    }
    return this.#tokens[this.#index++];
  }

  /** The rest of a key, string or number, whole: its pieces up to its end token. */
  async text(): Promise<string> {
    let text = '';
    for (let token = await this.next(); token !== undefined; token = await this.next()) {
      if (token.name === 'stringChunk' || token.name === 'numberChunk') text += token.value;
      else return text;
    }
    return text;
  }

  /**
   * The rest of a string as it arrives, a run of the parser's pieces per body chunk (the parser
   * cuts long strings into 256-character pieces), counted apart from the document.
   */
  async *pieces(): AsyncGenerator<string> {
    for (;;) {
      while (this.#index >= this.#tokens.length) {
        if (this.#ended) return;
        await this.#fill();
      }
      const run: string[] = [];
      let token = this.#tokens[this.#index];
      while (token?.name === 'stringChunk') {
        run.push(token.value);
        token = this.#tokens[++this.#index];
      }
      const text = run.join('');
      this.#taken += text.length;
      if (text !== '') yield text;
      if (token !== undefined) {
        this.#index++;
        return;
      }
    }
  }

  /** Called once every token of the chunks so far was taken, so their taken strings are counted. */
  async #fill(): Promise<void> {
    if (this.#received - this.#taken > this.#maxDocumentBytes) {
      throw new PayloadTooLargeError(Messages.documentTooLarge(this.#maxDocumentBytes), {
        details: { limit: this.#maxDocumentBytes },
      });
    }
    let chunk: IteratorResult<Uint8Array> | undefined;
    try {
      chunk = await this.#source?.next();
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new BadRequestError(BodyMessages.unreadable, { cause: error });
    }
    if (chunk === undefined || chunk.done) {
      this.#ended = true;
      if (this.#received === 0) throw new BadRequestError(BodyMessages.empty);
      this.#parsed(this.#decoder.decode());
      this.#parsed(none);
      return;
    }
    this.#received += chunk.value.byteLength;
    this.#parsed(this.#decoder.decode(chunk.value, { stream: true }));
  }

  #parsed(input: string | typeof none): void {
    let output: Many<Token> | typeof none;
    try {
      // `none` flushes the parser; its type leaves that out.
      output = this.#parse(input as string);
    } catch (error) {
      if (error instanceof RangeError) {
        throw new BadRequestError(jsonTooDeepMessage('the request body', this.#maxDepth), {
          code: 'EJSONDEPTH',
          cause: error,
        });
      }
      throw new BadRequestError(BodyMessages.notJson((error as Error).message), { cause: error });
    }
    // Only asked for once every earlier token was taken.
    this.#tokens = output === none ? [] : output.values;
    this.#index = 0;
  }
}
