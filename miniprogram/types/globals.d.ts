// What the mini program's runtime provides, as far as type-checking the pages against types/api.d.ts needs.
// (Typed loosely: the checks that matter here are the API's shapes.)
declare const wx: any
declare const my: any // Alipay's
declare function getApp(): any
declare function App(options: Record<string, any>): void
type PageThis = { data: any; setData(data: Record<string, any>): void; [name: string]: any }
declare function Page<T>(options: T & ThisType<T & PageThis>): void
declare var JIANLI_BASE_URL: string | undefined
