import { ContentType, Header, HttpStatus } from '@myorg/constants';

/** One hit of `/-/v1/search`, as npm's search API shapes it. */
export interface SearchHit {
  name: string;
  version: string;
  description?: string;
  keywords?: string[];
  /** When this version was published (ISO). */
  date?: string;
}

export interface SearchPage {
  hits: SearchHit[];
  total: number;
}

/** The parts of a full packument the UI shows. */
export interface Packument {
  name: string;
  description?: string;
  readme?: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, { version: string; description?: string; deprecated?: string }>;
  time?: Record<string, string>;
}

/** The registry could not be reached or answered with an unexpected status. */
export class RegistryRequestError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RegistryRequestError';
    this.status = status;
  }
}

/** Read-only access to an npm registry from the browser (the registry must allow this origin). */
export class RegistryApi {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async search(
    text: string,
    { from = 0, size = 20 }: { from?: number; size?: number } = {},
  ): Promise<SearchPage> {
    const url = new URL('-/v1/search', this.baseUrl);
    url.search = new URLSearchParams({ text, from: String(from), size: String(size) }).toString();
    const body = (await this.#getJson(url)) as { objects?: { package: SearchHit }[]; total?: number };
    const hits = (body?.objects ?? []).map((object) => object.package);
    return { hits, total: body?.total ?? hits.length };
  }

  /** The full packument (readme and publish times included), or undefined when there is no such package. */
  async packument(name: string): Promise<Packument | undefined> {
    // npm's URL form: the scope's slash encoded, so the name stays one path segment.
    const url = new URL(name.replace('/', '%2f'), this.baseUrl);
    return (await this.#getJson(url, true)) as Packument | undefined;
  }

  async #getJson(url: URL, missingIsUndefined = false): Promise<unknown> {
    let response: Response;
    try {
      // The full document: the abbreviated install form has neither readme nor times.
      response = await fetch(url, { headers: { [Header.ACCEPT]: ContentType.JSON } });
    } catch (cause) {
      throw new RegistryRequestError(`could not reach the registry at ${this.baseUrl}`, undefined, { cause });
    }
    if (missingIsUndefined && response.status === HttpStatus.NOT_FOUND) return undefined;
    if (!response.ok) {
      throw new RegistryRequestError(
        `the registry answered ${response.status} for ${url.pathname}`,
        response.status,
      );
    }
    return response.json();
  }
}
