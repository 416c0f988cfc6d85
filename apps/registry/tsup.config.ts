import { appBundle } from '../../tsup.shared.ts';

export default appBundle();
