import * as z from 'zod/mini';
// English alone (a named import lets esbuild drop the rest): `z.locales.en()` would keep every locale zod ships
// (about 230 KB) in the bundle.
import { en } from 'zod/locales';

// zod/mini registers no locale (classic zod loads English itself): without one every issue would read "Invalid
// input". Imported by each module that declares a schema, so the messages are set before anything is parsed.
z.config(en());
