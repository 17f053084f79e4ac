/** Message templates: one data shape (data.ts) and one Handlebars setup (compile.ts) for every surface. */
export { compile, readTemplateDir, type Render } from './compile';
export { templateContact, type TemplateContact, type TemplateData, type TemplateSegment } from './data';
