// The parts of fengari (a Lua 5.3 VM in JavaScript) that Fjord uses; the package ships no types.
declare module 'fengari' {
  type LuaState = { readonly __brand: 'lua_State' };
  type LuaString = Uint8Array;
  interface Lua {
    LUA_MASKCOUNT: number;
    LUA_TNIL: number; LUA_TBOOLEAN: number; LUA_TNUMBER: number; LUA_TSTRING: number; LUA_TTABLE: number;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushstring(L: LuaState, s: LuaString): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_rawseti(L: LuaState, idx: number, n: number): void;
    lua_setfield(L: LuaState, idx: number, k: LuaString): void;
    lua_getfield(L: LuaState, idx: number, k: LuaString): number;
    lua_setglobal(L: LuaState, name: LuaString): void;
    lua_tostring(L: LuaState, idx: number): LuaString | null;
    lua_type(L: LuaState, idx: number): number;
    lua_pop(L: LuaState, n: number): void;
    lua_sethook(L: LuaState, f: ((L: LuaState) => void) | null, mask: number, count: number): void;
    lua_settop(L: LuaState, idx: number): void;
    lua_gettop(L: LuaState): number;
  }
  interface LAuxLib {
    luaL_newstate(): LuaState;
    luaL_loadstring(L: LuaState, s: LuaString): number;
    luaL_requiref(L: LuaState, name: LuaString, open: (L: LuaState) => number, global: number): void;
    luaL_error(L: LuaState, msg: LuaString): never;
  }
  interface LuaLib {
    luaopen_base: (L: LuaState) => number;
    luaopen_table: (L: LuaState) => number;
    luaopen_string: (L: LuaState) => number;
    luaopen_math: (L: LuaState) => number;
  }
  const fengari: {
    lua: Lua & { lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number };
    lauxlib: LAuxLib;
    lualib: LuaLib;
    to_luastring: (s: string) => LuaString;
    to_jsstring: (s: LuaString) => string;
  };
  export default fengari;
}
