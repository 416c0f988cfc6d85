import { libraryBuild } from '../../tsup.shared.ts';

// Publishing is its own entry (`@myorg/services/publish`): it brings the AWS SDK, which the
// registry clients' users (the registry server among them) must not bundle.
export default libraryBuild({ entry: ['src/index.ts', 'src/publish/index.ts'] });
