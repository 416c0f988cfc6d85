import { appBundle } from '../../tsup.shared.ts';

// Third-party packages stay external and come from node_modules next to the CLI.
export default appBundle();
