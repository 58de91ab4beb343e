/** The empty activities of the same-shape baseline; `onFirstStep` tells the bench the "mail" went. */
export function createBenchActivities(onFirstStep: (key: string) => void) {
  return {
    async benchFirstStep(key: string) {
      onFirstStep(key)
    },
    async benchLastStep(_key: string) {},
  }
}

export type BenchActivities = ReturnType<typeof createBenchActivities>
