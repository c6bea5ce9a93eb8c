/** Tolerances the suite holds every backend to (float32 throughout). */
export const TOLERANCE = { sameBackend: 1e-5, vsCpu: 1e-4, finiteDifference: 2e-2 };

export interface ConformanceCase {
  name: string;
  run(): Promise<void>;
}
