import { redirect } from "next/navigation";

/** The console starts at its vaults; signed-out visitors are sent on to sign in from there. */
export default function HomePage() {
  redirect("/vaults");
}
