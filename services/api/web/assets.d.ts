// esbuild bundles the style sheets a module imports into app.css.
declare module '*.css';
