// The database accessor under the name every service imports; the instance itself is shared at boot
// with Next's copy of the modules through lib/instances.ts.
export { db } from "@/lib/instances";
