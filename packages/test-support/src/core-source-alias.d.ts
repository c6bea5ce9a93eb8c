// Types of core-source-alias.js, for the TypeScript config files that import it.
export interface SourceAlias {
  find: RegExp;
  replacement: string;
}
export declare const coreSourceAlias: SourceAlias[];
export declare const vitestCoreAlias: SourceAlias[];
