/*
 * bench/zones_bands_cells.c -- the cost and the verdicts of the band check with
 * the published cells (sr_zones_bands_cells_protected, docs/zones.md) on
 * synthetic zones, in the core alone (no server):
 *   scenario 1: 60 zones of 300 to 1,050 establishments, 2 to 4 large sections
 *               and 2 to 4 small ones of 3 or 4 establishments (bands 00-03);
 *   scenario 2: 200 zones of 500 establishments, the same shape, heavier bands;
 *   scenario 3: 200 zones of 4 to 22 establishments.
 * A small section that the dominance rule would suppress goes to the rest.
 * MODE=Z runs the zone-level test alone (sr_zones_bands_protected), MODE=A the
 * programme on 32 mobile members alone, MODE=X the exact one alone.
 *   scripts/unit.sh test_zones   # builds extension/tests/unit/bin/libsrcore.a
 *   gcc -O2 -Iextension/include -o /tmp/zbc bench/zones_bands_cells.c \
 *       extension/tests/unit/bin/libsrcore.a $(geos-config --clibs) $(pkg-config --libs proj) -lm
 *   /tmp/zbc 1; /tmp/zbc 2; /tmp/zbc 3
 */
#include "sr_zones.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static unsigned long long s = 88172645463325252ULL;
static unsigned rnd(void){ s ^= s << 13; s ^= s >> 7; s ^= s << 17; return (unsigned)(s >> 11); }
/* band index by weight: 00 01 02 03 11 12 21 22 31 */
static int pick(int heavy){
  static const int b[] = {1,2,3,4,5,6,7,8,9};
  static const int wl[] = {30,22,16,12,9,6,3,1,1};
  static const int wh[] = {20,15,14,13,12,11,8,5,2};
  const int *w = heavy ? wh : wl; int t=0; for(int i=0;i<9;i++) t+=w[i];
  int r = rnd()%t; for(int i=0;i<9;i++){ if(r<w[i]) return b[i]; r-=w[i]; } return 1; }
int main(int argc,char**argv){
  int scen = atoi(argv[1]); int nz = scen==1?60:200;
  long cells[21*SR_ZONES_NBANDS], rest[SR_ZONES_NBANDS];
  int withheld=0, wz=0; double jobs=0; double t0=clock();
  sr_err err; sr_err_clear(&err);
  for(int z=0;z<nz;z++){
    int N = scen==1 ? 300 + rnd()%751 : (scen==2?500: 4+rnd()%19);
    int nbig = scen==3 ? 1+rnd()%2 : 2+rnd()%3, nsmall = scen==3? rnd()%3 : 2+rnd()%3;
    int nc=0; memset(cells,0,sizeof cells); memset(rest,0,sizeof rest);
    int left=N;
    for(int c=0;c<nsmall && left>3;c++){ int n=3+rnd()%2; long *m=cells+(size_t)nc*SR_ZONES_NBANDS; memset(m,0,sizeof(long)*SR_ZONES_NBANDS);
      double sm=0,mx=0; for(int j=0;j<n;j++){int b=1+rnd()%4; m[b]++; double v=sr_zones_band_jobs(b); sm+=v; if(v>mx)mx=v;}
      left-=n; if(sm>0 && mx>0.85*sm){ for(int b=0;b<SR_ZONES_NBANDS;b++) rest[b]+=m[b]; memset(m,0,sizeof(long)*SR_ZONES_NBANDS);} else nc++; }
    { int n = rnd()%3; for(int j=0;j<n && left>0;j++,left--) rest[1+rnd()%4]++; }
    for(int c=0;c<nbig;c++){ int n = c==nbig-1? left : left/(nbig-c)+ (int)(rnd()%5); if(n>left)n=left; left-=n;
      long *m=cells+(size_t)nc*SR_ZONES_NBANDS; memset(m,0,sizeof(long)*SR_ZONES_NBANDS);
      for(int j=0;j<n;j++) m[pick(scen==2)]++;
      if(n>0) nc++; }
    bool p; long k=0; double H=0; for(int i=0;i<nc;i++) for(int b=0;b<SR_ZONES_NBANDS;b++){k+=cells[i*SR_ZONES_NBANDS+b]; H+=cells[i*SR_ZONES_NBANDS+b]*sr_zones_band_jobs(b);} 
    for(int b=0;b<SR_ZONES_NBANDS;b++){k+=rest[b]; H+=rest[b]*sr_zones_band_jobs(b);}
    bool pz=true; if(getenv("ZL")) sr_zones_bands_protected(k,H,H,0.85,&pz,&err);
    const char *mode=getenv("MODE");
    sr_status st = mode && !strcmp(mode,"A") ? sr_zones_bands_cells_check(nc,cells,rest,0.85,32,false,&p,&err)
      : mode && !strcmp(mode,"X") ? sr_zones_bands_cells_check(nc,cells,rest,0.85,-1,true,&p,&err)
      : mode && !strcmp(mode,"Z") ? sr_zones_bands_protected(k,H,H,0.85,&p,&err)
      : sr_zones_bands_cells_protected(nc,cells,rest,0.85,&p,&err);
    if(st!=SR_OK){printf("err %s\n",err.msg);return 1;}
    withheld += !p; wz += !pz; jobs += H;
    if(argc>2) printf("zone %d: %ld est, %.1f jobs, %d cells: zone-level %d cells %d\n",z,k,H,nc,pz,p);
  }
  printf("scenario %d: %d zones (%.0f jobs on average), withheld %d (ZL=1: zone-level alone %d), %.2f s\n",scen,nz,jobs/nz,withheld,wz,(clock()-t0)/CLOCKS_PER_SEC);
  return 0; }
