import './styles.css';
import { h } from './dom.ts';
import { RegistryApi } from './registryApi.ts';
import { registryUrl } from './registryUrl.ts';
import { parseRoute } from './routes.ts';
import { listView } from './views/listView.ts';
import { packageView } from './views/packageView.ts';

const header = document.querySelector<HTMLElement>('#registry')!;
const main = document.querySelector<HTMLElement>('main')!;

function showError(error: unknown): void {
  main.removeAttribute('aria-busy');
  main.replaceChildren(
    h(
      'section',
      { class: 'error', role: 'alert' },
      h('h1', {}, 'Something went wrong'),
      h('p', {}, String((error as Error)?.message ?? error)),
    ),
  );
}

let api: RegistryApi | undefined;
try {
  api = new RegistryApi(registryUrl(location.href, import.meta.env.VITE_REGISTRY_URL));
  header.textContent = api.baseUrl;
} catch (error) {
  showError(error);
}

// Renders can overlap when the user clicks quickly; only the newest one may fill the page.
let current = 0;

async function render(registry: RegistryApi): Promise<void> {
  const route = parseRoute(location.hash);
  const mine = ++current;
  main.setAttribute('aria-busy', 'true');
  try {
    const view =
      route.page === 'list'
        ? await listView(registry, route.query, route.from)
        : route.page === 'package'
          ? await packageView(registry, route.name, route.tab)
          : h('section', {}, h('h1', {}, 'Page not found'), h('p', {}, `Nothing lives at ${route.hash}.`));
    if (mine !== current) return;
    document.title = route.page === 'package' ? `${route.name} · my-ui` : 'Packages · my-ui';
    main.removeAttribute('aria-busy');
    main.replaceChildren(view);
  } catch (error) {
    if (mine === current) showError(error);
  }
}

if (api) {
  const registry = api;
  window.addEventListener('hashchange', () => void render(registry));
  void render(registry);
}
