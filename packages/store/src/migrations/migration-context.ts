/** Settings the migrations take from configuration rather than hard-coding. */
export interface MigrationContext {
  /** The role the apps connect as; it receives exactly the privileges it needs. */
  appRole: string;
  embeddingDimension: number;
}
