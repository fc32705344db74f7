// The one mailauth function the DKIM test uses (mailauth 4 ships no types).
declare module 'mailauth/lib/dkim/verify.js' {
  export function dkimVerify(
    message: Buffer,
    options: { resolver: (name: string, type: string) => Promise<string[][]> },
  ): Promise<{ results: { status?: { result?: string; comment?: string } }[] }>;
}
